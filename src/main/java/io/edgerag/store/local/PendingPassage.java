package io.edgerag.store.local;

/** A live chunk still to be embedded with the shadow model: {@code text} is null when it was synced without text. */
public record PendingPassage(long position, String title, String text) {
}
