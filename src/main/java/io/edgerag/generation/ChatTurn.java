package io.edgerag.generation;

/** One earlier message of the conversation; role is {@code user} or {@code assistant}. */
public record ChatTurn(String role, String content) {
}
