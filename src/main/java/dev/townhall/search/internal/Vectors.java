package dev.townhall.search.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

/** The one check every vector passes before a provider returns it, and the one way a vector is written for SQL. */
public final class Vectors {
    private Vectors() {
    }

    /**
     * Returns {@code vector} when it has exactly {@code dimensions} finite floats; otherwise throws, naming
     * {@code source} (provider and model) and the text's position in its batch.
     */
    public static float[] checked(float[] vector, int dimensions, String source, int position) {
        if (vector == null || vector.length != dimensions) {
            throw new TownHallException(ErrorCode.EMBEDDING_FAILED, source + " returned a vector of "
                    + (vector == null ? "no" : String.valueOf(vector.length)) + " dimensions for text " + position
                    + ", expected " + dimensions + "; nothing was stored");
        }
        for (float value : vector) {
            if (!Float.isFinite(value)) {
                throw new TownHallException(ErrorCode.EMBEDDING_FAILED, source + " returned a vector with " + value
                        + " for text " + position + "; nothing was stored");
            }
        }
        return vector;
    }

    /** pgvector's text form, {@code [0.1,-0.2,…]}, bound as a parameter and cast to {@code vector} in SQL. */
    public static String literal(float[] vector) {
        StringBuilder text = new StringBuilder(vector.length * 12).append('[');
        for (int i = 0; i < vector.length; i++) {
            text.append(i == 0 ? "" : ",").append(vector[i]);
        }
        return text.append(']').toString();
    }
}
