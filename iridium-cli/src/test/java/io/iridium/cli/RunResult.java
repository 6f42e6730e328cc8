package io.iridium.cli;

/**
 * What one in-process run of the {@code iridium} program left behind.
 *
 * @param exitCode the command's exit code
 * @param out      what it printed on standard output
 * @param err      what it printed on standard error
 */
record RunResult(int exitCode, String out, String err) {

    /** Runs {@code iridium args...} in this JVM and captures its output. */
    static RunResult run(String... args) {
        AwaitableOutput out = new AwaitableOutput();
        AwaitableOutput err = new AwaitableOutput();
        int exitCode = Main.commandLine().setOut(out.printWriter()).setErr(err.printWriter()).execute(args);
        return new RunResult(exitCode, out.text(), err.text());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
