/**
 * Operating TownHall: backups and restores, retention and PII rules ({@link dev.townhall.ops.Retention}), the doctor
 * ({@link dev.townhall.ops.Doctor}: health checks with thresholds, also on {@code /metrics}) and the cutover's
 * go/no-go ({@link dev.townhall.ops.Cutover}). Operations run as the owner role from the CLI (the doctor's figures
 * also under {@code serve}); nothing here runs as a user.
 */
package dev.townhall.ops;
