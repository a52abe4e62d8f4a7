package io.veles.bench.serialization;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;

/** Builds the benchmark object graphs and checks that what came back has the same shape. */
final class Graphs {
    /** Float payload of the big-arrays workload: 256 MiB spread over 20 layers. */
    static final int LAYERS = 20;

    static final int FLOATS_PER_LAYER = (256 << 20) / 4 / LAYERS;
    static final long ARRAY_PAYLOAD_BYTES = 4L * FLOATS_PER_LAYER * LAYERS;

    private Graphs() {}

    /** n units in a ring (each links to the previous and next one), all sharing one config. */
    static Workflow ring(int n) {
        UnitConfig config = new UnitConfig();
        config.device = "cpu";
        config.learningRate = 0.01;
        config.seed = 1234567L;

        ArrayList<Unit> units = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Unit u = new Unit();
            u.name = "unit-" + i;
            u.index = i;
            u.created = 1_700_000_000_000L + i;
            u.weight = i * 0.5;
            u.enabled = (i & 1) == 0;
            u.shape = new ArrayList<>(List.of(i % 7, 3, 224, 224));
            u.attributes = new LinkedHashMap<>();
            u.attributes.put("kind", (i & 1) == 0 ? "conv" : "relu");
            u.attributes.put("epochs", i % 100);
            u.attributes.put("dropout", 0.25);
            u.config = config;
            units.add(u);
        }
        for (int i = 0; i < n; i++) {
            units.get(i).next = units.get((i + 1) % n);
            units.get(i).prev = units.get((i + n - 1) % n);
        }
        Workflow wf = new Workflow();
        wf.name = "ring-" + n;
        wf.config = config;
        wf.units = units;
        return wf;
    }

    /** Fails unless the cycles survived and the config is still one shared object. */
    static void checkRing(Object root, int n) {
        Workflow wf = (Workflow) root;
        if (wf.units.size() != n) {
            throw new AssertionError("expected " + n + " units, got " + wf.units.size());
        }
        for (int i = 0; i < n; i++) {
            Unit u = wf.units.get(i);
            if (u.next != wf.units.get((i + 1) % n) || u.prev != wf.units.get((i + n - 1) % n)) {
                throw new AssertionError("ring broken at unit " + i);
            }
            if (u.config != wf.config) {
                throw new AssertionError("config of unit " + i + " is a copy, not the shared object");
            }
            if (u.index != i || !u.name.equals("unit-" + i) || u.shape.size() != 4 || u.attributes.size() != 3) {
                throw new AssertionError("fields of unit " + i + " differ");
            }
        }
    }

    /** LAYERS layers of N(0, 0.05) weights; a fixed seed so every fork sees the same bytes. */
    static ArrayList<Layer> layers() {
        SplittableRandom random = new SplittableRandom(42);
        ArrayList<Layer> layers = new ArrayList<>(LAYERS);
        for (int l = 0; l < LAYERS; l++) {
            Layer layer = new Layer();
            layer.name = "layer-" + l;
            layer.weights = new float[FLOATS_PER_LAYER];
            for (int i = 0; i < FLOATS_PER_LAYER; i++) {
                layer.weights[i] = (float) (random.nextGaussian() * 0.05);
            }
            layers.add(layer);
        }
        return layers;
    }

    /** A hash over every float's bits, to check a read without keeping the original around. */
    @SuppressWarnings("unchecked")
    static long fingerprint(Object root) {
        long h = 17;
        for (Layer layer : (List<Layer>) root) {
            h = h * 31 + layer.name.hashCode();
            for (float f : layer.weights) {
                h = h * 31 + Float.floatToRawIntBits(f);
            }
        }
        return h;
    }
}
