/**
 * Internals of the {@code code} package: the SQL of its search and its writes. Not API; may change without notice.
 */
package dev.townhall.code.internal;
