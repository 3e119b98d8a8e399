/**
 * The old "Robbie" and "Robbie_Allan" databases, in three packages: {@link dev.townhall.legacy.generate} builds demo
 * copies of them (deterministic from a seed), {@link dev.townhall.legacy.imports} brings any database of those
 * shapes into TownHall, and {@link dev.townhall.legacy.charsets} holds the single-byte charset tables both need
 * (the generator to spoil text the way legacy systems did, the importer to repair it). The importer never uses the
 * generator's internals: it has to work on legacy databases the generator never made.
 */
package dev.townhall.legacy;
