/**
 * Operating TownHall: retention and PII rules ({@link dev.townhall.ops.Retention}). Operations run as the owner from
 * the CLI; nothing here runs as a user.
 */
package dev.townhall.ops;
