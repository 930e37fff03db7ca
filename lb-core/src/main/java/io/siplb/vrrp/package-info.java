/**
 * VRRPv3 (RFC 5798): the advertisement codec ({@link io.siplb.vrrp.VrrpPacket}) and the
 * per-virtual-router state machine ({@link io.siplb.vrrp.VrrpStateMachine}), pure and
 * clock-injected. The raw socket, the VIPs and the gratuitous ARPs live in lb-netty's
 * speaker, which executes the {@link io.siplb.vrrp.VrrpAction}s the machine returns.
 */
package io.siplb.vrrp;
