/**
 * TownHall: one PostgreSQL home for an organisation's towns. Capabilities live in sub-packages
 * ({@code db}, {@code schema}, {@code towns}, {@code legacy}, {@code search}, {@code sync}, {@code api}, {@code ops});
 * {@code cli} only parses and prints.
 */
package dev.townhall;
