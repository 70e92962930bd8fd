package io.edgerag.generation.canary;

/** Which side of a model rollout answered: the {@code stable} model or the {@code canary}. */
public record Arm(String name, String model) {

    public static final String STABLE = "stable";
    public static final String CANARY = "canary";

    public boolean isCanary() {
        return CANARY.equals(name);
    }
}
