/**
 * Internals of the {@code ops} package: the SQL behind the doctor's checks. Not API; may change without notice.
 */
package dev.townhall.ops.internal;
