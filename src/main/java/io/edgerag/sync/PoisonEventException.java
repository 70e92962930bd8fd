package io.edgerag.sync;

/** A change event this node cannot apply as it is (malformed, unknown schema, wrong vectors): it goes to the dead-letter topic. */
public final class PoisonEventException extends Exception {

    public PoisonEventException(String reason) {
        super(reason);
    }
}
