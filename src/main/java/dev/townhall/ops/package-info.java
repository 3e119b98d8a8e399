/**
 * Operating TownHall: backups and restores, retention and PII rules, the doctor ({@link dev.townhall.ops.Doctor}:
 * health checks with thresholds, also on {@code /metrics}) and cutover checks. These run as the owner role.
 */
package dev.townhall.ops;
