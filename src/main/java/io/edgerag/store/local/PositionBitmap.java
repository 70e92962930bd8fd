package io.edgerag.store.local;

import java.nio.ByteBuffer;

/**
 * The allow-bitmap handed to {@link VectorIndex#search}: bit {@code p} (byte {@code p>>3}, bit
 * {@code p&7}) set when position {@code p} may be returned. A direct buffer that grows by doubling;
 * mutated only under the store's write lock, read concurrently under its read lock.
 */
final class PositionBitmap {

    private ByteBuffer bytes;
    private long cardinality;

    PositionBitmap(long capacityBits) {
        bytes = ByteBuffer.allocateDirect((int) Math.max(64, (capacityBits + 7) >>> 3));
    }

    void set(long position) {
        ensureCapacity(position + 1);
        int i = (int) (position >>> 3);
        byte b = bytes.get(i);
        byte nb = (byte) (b | (1 << (position & 7)));
        if (nb != b) {
            bytes.put(i, nb);
            cardinality++;
        }
    }

    void clear(long position) {
        int i = (int) (position >>> 3);
        if (i >= bytes.capacity()) {
            return;
        }
        byte b = bytes.get(i);
        byte nb = (byte) (b & ~(1 << (position & 7)));
        if (nb != b) {
            bytes.put(i, nb);
            cardinality--;
        }
    }

    boolean get(long position) {
        int i = (int) (position >>> 3);
        return i < bytes.capacity() && (bytes.get(i) & (1 << (position & 7))) != 0;
    }

    long cardinality() {
        return cardinality;
    }

    /** The live buffer itself (position 0); callers must not modify it. */
    ByteBuffer buffer() {
        return bytes;
    }

    private void ensureCapacity(long bits) {
        long needed = (bits + 7) >>> 3;
        if (needed <= bytes.capacity()) {
            return;
        }
        long size = bytes.capacity();
        while (size < needed) {
            size *= 2;
        }
        ByteBuffer grown = ByteBuffer.allocateDirect((int) size);
        ByteBuffer src = bytes.duplicate();
        src.clear();
        grown.put(src);
        grown.clear();
        bytes = grown;
    }
}
