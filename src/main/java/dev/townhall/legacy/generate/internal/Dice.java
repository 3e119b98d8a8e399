package dev.townhall.legacy.generate.internal;

import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The generator's only source of chance: a {@link SplittableRandom} with a fixed seed, so the same seed gives the
 * same data. Each table draws from a dice of its own ({@link #forTable}), so the order tables are made in does not
 * change their content.
 */
public final class Dice {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final SplittableRandom random;

    public Dice(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A dice for one table: depends on the run's seed and the table's name only. */
    public static Dice forTable(long seed, String table) {
        return new Dice(seed * 0x9E3779B97F4A7C15L + table.hashCode());
    }

    /** 0 inclusive to {@code n} exclusive. */
    public int below(int n) {
        return random.nextInt(n);
    }

    /** {@code lo} to {@code hi}, both inclusive. */
    public int between(int lo, int hi) {
        return random.nextInt(lo, hi + 1);
    }

    /** {@code lo} to {@code hi}, both inclusive. */
    public long between(long lo, long hi) {
        return random.nextLong(lo, hi + 1);
    }

    public double unit() {
        return random.nextDouble();
    }

    public boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    public long nextLong() {
        return random.nextLong();
    }

    public <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    @SafeVarargs
    public final <T> T pick(T... items) {
        return items[random.nextInt(items.length)];
    }

    /** Exactly {@code k} of the indices {@code 0..n-1}, chosen uniformly (Floyd's algorithm). */
    public BitSet marks(int n, int k) {
        if (k > n || k < 0) {
            throw new IllegalArgumentException("cannot mark " + k + " of " + n);
        }
        BitSet marked = new BitSet(n);
        for (int j = n - k; j < n; j++) {
            int t = random.nextInt(j + 1);
            marked.set(marked.get(t) ? j : t);
        }
        return marked;
    }

    /** A version-4 UUID drawn from this dice (never from the system's random source). */
    public UUID uuid() {
        long msb = (random.nextLong() & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** {@code length} lower-case hex digits. */
    public String hex(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = HEX[random.nextInt(16)];
        }
        return new String(out);
    }

    /** Shuffles {@code items} in place (Fisher-Yates). */
    public void shuffle(int[] items) {
        for (int i = items.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = items[i];
            items[i] = items[j];
            items[j] = tmp;
        }
    }
}
