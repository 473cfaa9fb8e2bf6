package io.dutydesk.core.backups;

/**
 * A {@code .part} file that a job running right now is writing (its tag is in the name, or it was written since the job
 * started): not a leftover, never offered for removal. Shown as "being written by job {@code jobId}".
 */
public record PartInProgress(Leftover part, String jobId) {
    /** "NAME (SIZE) being written by job ID". */
    public String describe() {
        return part.name() + " (" + Sizes.human(part.sizeBytes()) + ") being written by job " + jobId;
    }
}
