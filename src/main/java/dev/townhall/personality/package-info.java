/**
 * The AI personalities a user talks to, as the schema's {@code ai} functions define them:
 * {@link dev.townhall.personality.Personalities} answers the prompt to use ({@code ai.get_active_prompt}) and records
 * mood changes of the user's personality instance ({@code ai.calculate_mood}, the mood-event trigger), as USER@TOWN
 * under row-level security, for the MCP tools now and the REST API later.
 */
package dev.townhall.personality;
