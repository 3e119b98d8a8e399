/**
 * TownHall's own sync between TownHall databases (issue 12, decisions 40–48): every change to a synced table is
 * captured by trigger with a hybrid logical clock, read below the oldest running transaction
 * ({@link dev.townhall.sync.ChangeLog}), and applied on the peer exactly once in commit order by the
 * {@link dev.townhall.sync.SyncAgent} (pull and push; {@link dev.townhall.sync.ContinuousSync} back to back);
 * concurrent edits are decided by the table's {@link dev.townhall.sync.Policies policy} and kept as
 * {@link dev.townhall.sync.Conflicts}; {@link dev.townhall.sync.Convergence} verifies both sides by row hashes.
 */
package dev.townhall.sync;
