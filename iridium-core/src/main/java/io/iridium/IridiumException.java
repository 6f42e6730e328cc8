package io.iridium;

/**
 * The typed failures of Iridium's messaging calls. Each subclass names one outcome a caller can
 * act on; the blocking API throws them, the asynchronous API completes its future with them.
 *
 * <pre>
 *   TimedOutException        no reply within the deadline (the request may still have run)
 *   ClosedException          the node, service, subscription or tunnel is closed
 *   RemoteException          the remote handler threw; carries its message
 *   NoMembersException       nobody serves the cluster (fails at once, not by timeout)
 *   OverloadedException      every member refused before running it (over its limits)
 *   OutcomeUnknownException  the member failed after the request was sent
 *   BackPressureException    the outbound queue to the chosen peer is full
 * </pre>
 */
public abstract sealed class IridiumException extends RuntimeException
        permits IridiumException.TimedOut, IridiumException.Closed, IridiumException.Remote,
                IridiumException.NoMembers, IridiumException.Overloaded, IridiumException.OutcomeUnknown,
                IridiumException.BackPressure {

    private static final long serialVersionUID = 1L;

    IridiumException(String message) {
        super(message);
    }

    /** No reply arrived within the deadline. The request may or may not have run. */
    public static final class TimedOut extends IridiumException {
        private static final long serialVersionUID = 1L;

        public TimedOut(String message) {
            super(message);
        }
    }

    /** The node, service, subscription or tunnel was closed. */
    public static final class Closed extends IridiumException {
        private static final long serialVersionUID = 1L;

        public Closed(String message) {
            super(message);
        }
    }

    /** The remote handler failed; {@link #getMessage()} carries what it said. */
    public static final class Remote extends IridiumException {
        private static final long serialVersionUID = 1L;

        public Remote(String message) {
            super(message);
        }
    }

    /** No live member serves the cluster (NATS's "no responders"); reported at once. */
    public static final class NoMembers extends IridiumException {
        private static final long serialVersionUID = 1L;

        public NoMembers(String message) {
            super(message);
        }
    }

    /** Every member tried refused the request before running it, being over its limits. */
    public static final class Overloaded extends IridiumException {
        private static final long serialVersionUID = 1L;

        public Overloaded(String message) {
            super(message);
        }
    }

    /**
     * The member that had the request failed before replying: the request may or may not have
     * run. It is never re-sent automatically.
     */
    public static final class OutcomeUnknown extends IridiumException {
        private static final long serialVersionUID = 1L;

        public OutcomeUnknown(String message) {
            super(message);
        }
    }

    /** The outbound queue to the chosen peer is full: the peer or the network is slower than the sender. */
    public static final class BackPressure extends IridiumException {
        private static final long serialVersionUID = 1L;

        public BackPressure(String message) {
            super(message);
        }
    }
}
