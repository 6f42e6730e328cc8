package io.iridium.consensus.machine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Client sessions: for each client id, the last sequence number applied and its result (Raft
 * thesis, section 6.3). A client has one command in flight at a time and retries it with the same
 * number, so remembering the last one is enough: a repeat gets the cached result, an older number
 * is refused. A session that sends nothing for {@link #IDLE_EXPIRY_MILLIS} of log time is
 * forgotten, which bounds the table; a client silent that long must start a new session.
 */
final class SessionTable {

    /** How long, in log time, an idle session is remembered: one hour. */
    static final long IDLE_EXPIRY_MILLIS = 3_600_000L;

    private record Session(long lastSequence, byte[] lastResult, long lastSeen) {
    }

    /** In order of last command (log time never runs backwards), so expiry stops at the first live session. */
    private final LinkedHashMap<Long, Session> sessions = new LinkedHashMap<>();

    /**
     * What a command's session says before applying it.
     *
     * @return the cached result for a repeat, a rejection for an old number, or null to apply
     */
    Result lookup(long clientId, long sequence) {
        Session s = sessions.get(clientId);
        if (s == null || sequence > s.lastSequence) {
            return null;
        }
        if (sequence == s.lastSequence) {
            return MachineCodec.decodeResult(s.lastResult);
        }
        return new Result.Rejected("command " + sequence + " of session " + Long.toHexString(clientId)
                + " was superseded by command " + s.lastSequence);
    }

    void record(long clientId, long sequence, Result result, long now) {
        sessions.remove(clientId);
        sessions.put(clientId, new Session(sequence, MachineCodec.encodeResult(result), now));
    }

    void expire(long now) {
        for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
            if (it.next().lastSeen + IDLE_EXPIRY_MILLIS > now) {
                break;
            }
            it.remove();
        }
    }

    int size() {
        return sessions.size();
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(sessions.size());
        for (Map.Entry<Long, Session> e : sessions.entrySet()) {
            out.writeLong(e.getKey());
            out.writeLong(e.getValue().lastSequence);
            out.writeInt(e.getValue().lastResult.length);
            out.write(e.getValue().lastResult);
            out.writeLong(e.getValue().lastSeen);
        }
    }

    void read(DataInput in) throws IOException {
        sessions.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            long id = in.readLong();
            long seq = in.readLong();
            byte[] result = new byte[in.readInt()];
            in.readFully(result);
            sessions.put(id, new Session(seq, result, in.readLong()));
        }
    }
}
