package io.sparkmdn.spark;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * A Spark listener, installed through {@code spark.extraListeners}, that records which tasks ran in jobs whose
 * description starts with "train: epoch": evidence that parameter averaging really ran in parallel.
 */
public final class TaskRecorder extends SparkListener {

    public static final Set<String> FIT_TASKS = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<Integer, String> stageJob = new ConcurrentHashMap<>();

    @Override
    public void onJobStart(SparkListenerJobStart job) {
        String description = job.properties().getProperty("spark.job.description", "");
        job.stageIds().foreach(id -> stageJob.put((Integer) id, description));
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd task) {
        if (stageJob.getOrDefault(task.stageId(), "").startsWith("train: epoch")) {
            FIT_TASKS.add(task.stageId() + "/" + task.taskInfo().index());
        }
    }
}
