/**
 * Changing a message by splicing edits into the bytes it arrived in (DESIGN.md principle 4):
 * {@link io.siplb.sip.edit.MessageEdits} records byte-range and header-level edits against a
 * {@link io.siplb.sip.SipMessage}'s header index, {@link io.siplb.sip.edit.MessageSplicer}
 * turns them into a {@link io.netty.buffer.CompositeByteBuf} of retained slices of the
 * original plus the new bytes, and {@link io.siplb.sip.edit.HeaderWriter} writes the lines a
 * proxy adds (Via, Record-Route, Path, received/rport) without String concatenation.
 *
 * <p>This is the only place that produces outgoing message bytes.
 */
package io.siplb.sip.edit;
