/**
 * Character tables shared by the generator and the importer: {@link dev.townhall.legacy.charsets.SingleByteCharsets}
 * (the upper halves of Windows-1252 and Mac OS Roman), spelled out so results never depend on the runtime's
 * optional charsets.
 */
package dev.townhall.legacy.charsets;
