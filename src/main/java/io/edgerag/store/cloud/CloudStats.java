package io.edgerag.store.cloud;

/** Records in one collection (namespace), and the dimension of the index behind it. */
public record CloudStats(long recordCount, int dimension) {
}
