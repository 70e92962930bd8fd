package io.edgerag.store.local;

/**
 * Which {@link VectorIndexFactory} the store tests run against. Resolved lazily (never from a static
 * initialiser) so that native loading happens inside a test, once per JVM.
 */
public final class TestIndexes {

    private TestIndexes() {
    }

    public static VectorIndexFactory factory() {
        return BruteForceVectorIndexForTests.FACTORY;
    }

    /** Whether {@code factoryString} creates an index that needs training with the current factory. */
    public static boolean needsTraining(String factoryString) {
        try (VectorIndex index = factory().create(factoryString, StoreFixtures.DIM)) {
            return !index.isTrained();
        }
    }
}
