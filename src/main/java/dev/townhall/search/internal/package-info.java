/**
 * Internals of the {@code search} package: the local ONNX model, the OpenAI-compatible HTTP client, tokenizers and
 * vector checks. Not API; may change without notice.
 */
package dev.townhall.search.internal;
