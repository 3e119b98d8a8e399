package dev.townhall.bench;

import java.util.List;

/** Each worker's own walk through a shared list, starting at its own place so the workers don't ask in step. */
final class Rotation {
    private int next;

    Rotation(int worker) {
        this.next = worker * 7919; // a prime stride spreads the workers' starting points over the list
    }

    <T> T next(List<T> values) {
        return values.get(Math.floorMod(next++, values.size()));
    }
}
