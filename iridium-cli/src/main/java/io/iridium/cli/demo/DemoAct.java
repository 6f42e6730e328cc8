package io.iridium.cli.demo;

import java.util.List;

/**
 * One scene of the demonstration: it explains itself, acts on the shared {@link DemoStage}, and
 * returns once what it shows has happened.
 *
 * <p>An act waits on events with the stage's deadline and never sleeps; when the deadline passes
 * first it throws {@link DemoFailedException} saying what it expected and what it saw. Acts run in
 * order on the same nodes, so an act may rely on the state the acts before it left.
 */
interface DemoAct {

    /** A short title, printed as the act's heading. */
    String title();

    /** A few lines, printed before the act begins, saying what the reader is about to see and why. */
    List<String> introduction();

    /** Plays the act; returns once it has shown what it set out to show. */
    void perform(DemoStage stage) throws InterruptedException;
}
