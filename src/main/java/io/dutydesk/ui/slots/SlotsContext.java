package io.dutydesk.ui.slots;

import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.rollout.RolloutService;
import io.dutydesk.core.slots.SlotsReader;

/** What the slots pane needs of one opened environment. */
public record SlotsContext(Environment environment, SlotsReader reader, RolloutService rollout, ContainersPort containers,
                           AuditLog audit) {}
