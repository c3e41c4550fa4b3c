package io.fleetwire.protocol;

/**
 * A frame that cannot be decoded into a {@link Message}. Carries the error code to answer with and,
 * when they could be read, the offending message's type and sequence number.
 */
public final class ProtocolException extends RuntimeException {

    private final ErrorCode code;
    private final String refType;
    private final Long refSeq;

    public ProtocolException(ErrorCode code, String message, String refType, Long refSeq) {
        super(message, null, false, false);
        this.code = code;
        this.refType = refType;
        this.refSeq = refSeq;
    }

    public ErrorCode code() {
        return code;
    }

    /** Type of the offending message, or null when it could not be read. */
    public String refType() {
        return refType;
    }

    /** Sequence number of the offending message, or null when it has none. */
    public Long refSeq() {
        return refSeq;
    }

    /** The error frame that answers this problem. */
    public Message.Error toErrorFrame() {
        return new Message.Error(code, getMessage(), refType, refSeq);
    }
}
