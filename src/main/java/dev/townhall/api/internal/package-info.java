/**
 * Internals of the {@code api} package: the request pipeline (authentication, rate limit, body and precondition
 * checks), the routes, error bodies, metrics and the access log. Not API; may change without notice.
 */
package dev.townhall.api.internal;
