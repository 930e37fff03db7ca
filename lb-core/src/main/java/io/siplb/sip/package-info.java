/**
 * The SIP message model and codec: framing ({@link io.siplb.sip.SipFramer} for datagrams,
 * {@link io.siplb.sip.StreamFramer} per stream connection), parsing
 * ({@link io.siplb.sip.SipParser} into a {@link io.siplb.sip.SipMessage} view over the received
 * bytes), and verification ({@link io.siplb.sip.SipMessage#verify()}).
 *
 * <p>Three verbs, three costs: framing finds boundaries; parsing checks the start line and
 * indexes the header values in one pass without creating a String; typed values and the full
 * checks are computed only when asked for. Bad input is a {@link io.siplb.sip.ParseFailure}
 * (what and where), never an exception; limits come from {@link io.siplb.sip.SipLimits}.
 */
package io.siplb.sip;
