package dev.taskpilot.api.costs;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.taskpilot.api.auth.Caller;
import dev.taskpilot.api.auth.Roles;
import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.store.CostRows;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code GET /api/v1/costs?days=N}: what the caller's tasks (an admin: everyone's) cost over the
 * last {@code N} UTC days, today included ({@code 1..366}, default 30), by day, agent and
 * workspace. {@code from} is the start of the first day, {@code to} the end of today (exclusive);
 * {@code days} lists every day of the range, oldest first, with zeros for days without cost. LLM
 * cost is the LLM call ledger's (calls of no task, the chat's, appear with agent and workspace
 * null); agent cost is each task's accumulated {@code run.costUsd} (see {@link CostRows}). {@code
 * tasks} counts the distinct tasks with any cost in the range.
 */
@Controller("/api/v1/costs")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.VIEWER)
class CostController {
  static final int MAX_DAYS = 366;

  private final CostRows rows;
  private final Clock clock = Clock.systemUTC();

  CostController(CostRows rows) {
    this.rows = rows;
  }

  /** The report. */
  @Serdeable
  record Costs(
      Instant from,
      Instant to,
      List<Day> days,
      List<ByAgent> byAgent,
      List<ByWorkspace> byWorkspace,
      BigDecimal totalUsd) {}

  /** One UTC day. */
  @Serdeable
  record Day(LocalDate day, BigDecimal llmUsd, BigDecimal agentUsd) {}

  /** One agent profile (null: LLM calls of no task). */
  @Serdeable
  record ByAgent(
      @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String agent,
      BigDecimal llmUsd,
      BigDecimal agentUsd,
      int tasks) {}

  /** One workspace (null: tasks without one, and LLM calls of no task). */
  @Serdeable
  record ByWorkspace(
      @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String workspace,
      BigDecimal llmUsd,
      BigDecimal agentUsd,
      int tasks) {}

  @Get
  Costs costs(Caller caller, @Nullable @QueryValue Integer days) {
    int span = days == null ? 30 : days;
    if (span < 1 || span > MAX_DAYS) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED, "days must be between 1 and " + MAX_DAYS + ": " + span);
    }
    LocalDate today = LocalDate.now(clock);
    LocalDate first = today.minusDays(span - 1L);
    Instant from = first.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant to = today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    return report(from, to, first, span, rows.between(from, to, caller.ownerFilter()));
  }

  static Costs report(Instant from, Instant to, LocalDate first, int span, List<CostRows.Row> all) {
    Map<LocalDate, Sums> byDay = new TreeMap<>();
    for (int i = 0; i < span; i++) {
      byDay.put(first.plusDays(i), new Sums());
    }
    Map<String, Sums> byAgent = new LinkedHashMap<>();
    Map<String, Sums> byWorkspace = new LinkedHashMap<>();
    Sums total = new Sums();
    for (CostRows.Row row : all) {
      Sums day = byDay.get(row.day());
      if (day == null) {
        continue; // a day outside the range cannot come from the query; kept out all the same
      }
      day.add(row);
      byAgent.computeIfAbsent(row.agent(), key -> new Sums()).add(row);
      byWorkspace.computeIfAbsent(row.workspace(), key -> new Sums()).add(row);
      total.add(row);
    }
    List<Day> dayList = new ArrayList<>();
    byDay.forEach((day, sums) -> dayList.add(new Day(day, usd(sums.llm), usd(sums.agent))));
    List<ByAgent> agents = new ArrayList<>();
    byAgent.forEach(
        (agent, sums) ->
            agents.add(new ByAgent(agent, usd(sums.llm), usd(sums.agent), sums.tasks.size())));
    agents.sort(
        Comparator.comparing((ByAgent a) -> a.llmUsd().add(a.agentUsd()))
            .reversed()
            .thenComparing(a -> Objects.toString(a.agent(), "")));
    List<ByWorkspace> workspaces = new ArrayList<>();
    byWorkspace.forEach(
        (workspace, sums) ->
            workspaces.add(
                new ByWorkspace(workspace, usd(sums.llm), usd(sums.agent), sums.tasks.size())));
    workspaces.sort(
        Comparator.comparing((ByWorkspace w) -> w.llmUsd().add(w.agentUsd()))
            .reversed()
            .thenComparing(w -> Objects.toString(w.workspace(), "")));
    return new Costs(from, to, dayList, agents, workspaces, usd(total.llm.add(total.agent)));
  }

  /** Dollars to the ledger's precision (6 places), without trailing zeros: 0.12, not 0.120000. */
  static BigDecimal usd(BigDecimal value) {
    BigDecimal plain = value.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
    return plain.scale() < 0 ? plain.setScale(0) : plain;
  }

  /** Running sums of one group. */
  private static final class Sums {
    BigDecimal llm = BigDecimal.ZERO;
    BigDecimal agent = BigDecimal.ZERO;
    final Set<String> tasks = new HashSet<>();

    void add(CostRows.Row row) {
      if (row.llm()) {
        llm = llm.add(row.costUsd());
      } else {
        agent = agent.add(row.costUsd());
      }
      if (row.taskId() != null) {
        tasks.add(row.taskId());
      }
    }
  }
}
