package dev.herald.app.cli;

import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** A progress bar with its rate on stderr when the command runs on a terminal; nothing otherwise. */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    static Progress start(boolean enabled, String task, String unit, long max) {
        if (!enabled) {
            return new Progress(null);
        }
        return new Progress(new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setUnit(unit, 1)
                .showSpeed().setSpeedUnit(ChronoUnit.SECONDS).setUpdateIntervalMillis(250).build());
    }

    void to(long current, long max) {
        if (bar != null) {
            bar.maxHint(max);
            bar.stepTo(current);
        }
    }

    void message(String message) {
        if (bar != null) {
            bar.setExtraMessage(message);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
