package io.veles.launcher;

import io.veles.config.Config;
import io.veles.snapshot.SnapshotSettings;
import io.veles.snapshot.Snapshotter;
import io.veles.workflow.Bool;
import io.veles.workflow.Repeater;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;

/**
 * start → repeater → tick → snapshotter → repeater; the end opens after {@code ticks.count} ticks
 * (default 5). Each tick draws from the workflow's generator and waits {@code ticks.sleep_ms}
 * (default 0), so that a run lasts as long as a test needs to stop it. Tick number
 * {@code ticks.fail_at} (default 0: none) throws, as a unit whose run fails.
 */
public final class TickWorkflow extends Workflow {
    final Tick tick;

    public TickWorkflow(Config config) {
        super("ticks");
        Config ticks = config.section("ticks");
        Repeater repeater = new Repeater(this);
        tick = new Tick(this, ticks.getInt("count", 5), ticks.getInt("sleep_ms", 0), ticks.getInt("fail_at", 0));
        Snapshotter snapshotter = Snapshotter.create(
                this, SnapshotSettings.from(config.section("snapshotter"), SnapshotSettings.defaults("ticks")));
        repeater.linkFrom(startPoint());
        tick.linkFrom(repeater);
        snapshotter.linkFrom(tick);
        repeater.linkFrom(snapshotter);
        endPoint().linkFrom(tick).gateBlock(tick.done.not());
    }

    /** The ticks so far and the sum of their draws: equal states, equal text. */
    public String state() {
        return "ticks=" + tick.count + " sum=" + Double.doubleToLongBits(tick.sum) + " random=" + random().position();
    }

    /** Counts, draws, and prints its first tick so that a parent process knows a unit ran. */
    static final class Tick extends Unit {
        final int limit;
        final int sleepMillis;
        final int failAt;
        final Bool done = new Bool(false);
        int count;
        double sum;

        Tick(Workflow workflow, int limit, int sleepMillis, int failAt) {
            super(workflow, "tick");
            this.limit = limit;
            this.sleepMillis = sleepMillis;
            this.failAt = failAt;
        }

        @Override
        public void run() {
            count++;
            if (count == failAt) {
                throw new IllegalStateException("tick " + count + " fails");
            }
            sum += random().nextGaussian();
            if (count == 1) {
                System.out.println("first tick");
                System.out.flush();
            }
            if (sleepMillis > 0) {
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            done.set(count >= limit);
        }
    }
}
