package dev.townhall.bench;

import java.util.Random;

/**
 * Synthetic embeddings with the shape real ones have: points in clusters on a low-dimensional manifold (a latent
 * space of {@value #LATENT} dimensions projected into the model's dimensions, plus a little noise), so nearest
 * neighbours are meaningful. Uniform random vectors in 384 dimensions are all nearly equidistant, which no index and
 * no real model produces; measuring recall on them measures nothing. Deterministic for a seed.
 */
public final class ClusteredVectors {
    private static final int LATENT = 24;
    private static final double CLUSTER_SPREAD = 0.45;
    private static final double NOISE = 0.02;

    private final int dimensions;
    private final double[][] projection;
    private final double[][] centres;
    private final Random random;

    private ClusteredVectors(int dimensions, int clusters, long seed) {
        this.dimensions = dimensions;
        this.random = new Random(seed);
        this.projection = new double[LATENT][dimensions];
        for (double[] row : projection) {
            for (int i = 0; i < dimensions; i++) {
                row[i] = random.nextGaussian() / Math.sqrt(LATENT);
            }
        }
        this.centres = new double[clusters][LATENT];
        for (double[] centre : centres) {
            for (int j = 0; j < LATENT; j++) {
                centre[j] = random.nextGaussian();
            }
        }
    }

    /** A generator of {@code dimensions}-d vectors around {@code clusters} centres. */
    public static ClusteredVectors of(int dimensions, int clusters, long seed) {
        return new ClusteredVectors(dimensions, clusters, seed);
    }

    /** The next stored vector: a random cluster, a random point in it. */
    public float[] next() {
        return around(centres[random.nextInt(centres.length)], CLUSTER_SPREAD);
    }

    /** A query the way people ask: near the data (in some cluster), not a point from nowhere. */
    public float[] query() {
        return next();
    }

    private float[] around(double[] centre, double spread) {
        double[] latent = new double[LATENT];
        for (int j = 0; j < LATENT; j++) {
            latent[j] = centre[j] + random.nextGaussian() * spread;
        }
        float[] v = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            double sum = random.nextGaussian() * NOISE;
            for (int j = 0; j < LATENT; j++) {
                sum += latent[j] * projection[j][i];
            }
            v[i] = (float) sum;
        }
        return v;
    }
}
