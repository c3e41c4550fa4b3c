package io.fleetwire.protocol;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a command stands, with its wire name, and the only transitions allowed between states
 * (issue #3): {@code pending → sent → delivered → succeeded | failed}; {@code pending | sent →
 * expired} when the TTL passes before delivery; {@code pending | sent → cancelled} by an operator
 * before delivery. A sent command that is not acknowledged is sent again ({@code sent → sent}).
 * Final states have no way out.
 */
public enum CommandStatus {
    PENDING("pending"),
    SENT("sent"),
    DELIVERED("delivered"),
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    EXPIRED("expired"),
    CANCELLED("cancelled");

    private final String wireName;

    CommandStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** States reachable from this one in one step. */
    public Set<CommandStatus> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(SENT, EXPIRED, CANCELLED);
            case SENT -> EnumSet.of(SENT, DELIVERED, EXPIRED, CANCELLED);
            case DELIVERED -> EnumSet.of(SUCCEEDED, FAILED);
            case SUCCEEDED, FAILED, EXPIRED, CANCELLED -> EnumSet.noneOf(CommandStatus.class);
        };
    }

    public boolean canMoveTo(CommandStatus target) {
        return next().contains(target);
    }

    /** True for succeeded, failed, expired and cancelled: the operator sees the command's outcome. */
    public boolean isFinal() {
        return next().isEmpty();
    }

    /**
     * The state after moving to {@code target}; throws {@link IllegalStateException} naming both
     * states when the move is not allowed.
     */
    public CommandStatus moveTo(CommandStatus target) {
        if (!canMoveTo(target)) {
            throw new IllegalStateException("a command cannot go from " + wireName + " to " + target.wireName);
        }
        return target;
    }

    public static CommandStatus fromWire(String name) {
        for (CommandStatus s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown command status: " + name);
    }
}
