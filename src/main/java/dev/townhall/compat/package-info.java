/**
 * Compatibility with the old apps: {@link dev.townhall.compat.Logins} makes database logins for old services that
 * act as one user in one town (their binding in {@code core.login_bindings}, which the context functions prefer to
 * any {@code townhall.*} setting) and see the compatibility schema their queries expect.
 */
package dev.townhall.compat;
