package io.dutydesk.ui.outbox;

import io.dutydesk.core.outbox.OutboxService;
import io.dutydesk.core.ports.OutboxHistory;
import io.dutydesk.core.metrics.MetricsPort;
import io.dutydesk.core.rollout.RolloutService;
import io.dutydesk.core.slots.SlotsReader;

import java.util.Optional;

/** What the Outbox pane needs of one opened environment. */
public record OutboxContext(OutboxService service, SlotsReader slots, RolloutService rollout, OutboxHistory history,
                            Optional<MetricsPort> prometheus) {}
