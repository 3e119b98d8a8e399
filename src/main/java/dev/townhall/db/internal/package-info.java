/** Internals of the {@code db} package: process handling and OS accounts. Not API; may change without notice. */
package dev.townhall.db.internal;
