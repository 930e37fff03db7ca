package io.siplb.route;

import io.siplb.sip.edit.MessageEdits;

import static java.util.Objects.requireNonNull;

/**
 * Send the message, changed by {@code edits}, to {@code target}.
 *
 * @param target where the message goes
 * @param edits  the splices that turn the received bytes into the forwarded ones
 * @param backendId the backend the message goes to, or {@code null} when it goes to a client
 */
public record Forward(Target target, MessageEdits edits, String backendId) implements Decision {
    public Forward {
        requireNonNull(target, "target");
        requireNonNull(edits, "edits");
    }
}
