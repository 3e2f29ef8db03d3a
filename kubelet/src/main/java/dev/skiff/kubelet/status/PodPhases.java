package dev.skiff.kubelet.status;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import java.util.List;

/** The pod phase from its container statuses, by upstream's rules. */
public final class PodPhases {
  private PodPhases() {}

  /**
   * @param initStatuses init container statuses in spec order
   * @param statuses regular container statuses
   * @param terminating the pod is being deleted and its containers were stopped on purpose: it ends
   *     Succeeded or Failed whatever its restart policy
   */
  public static String phase(
      String restartPolicy,
      List<ContainerStatus> initStatuses,
      List<ContainerStatus> statuses,
      boolean terminating) {
    boolean initDone = true;
    for (ContainerStatus s : initStatuses) {
      var term = s.getState() == null ? null : s.getState().getTerminated();
      if (term != null && term.getExitCode() == 0) {
        continue;
      }
      initDone = false;
      boolean failed =
          (term != null && term.getExitCode() != 0)
              || (s.getLastState() != null
                  && s.getLastState().getTerminated() != null
                  && s.getLastState().getTerminated().getExitCode() != 0);
      if (failed && "Never".equals(restartPolicy)) {
        return "Failed";
      }
      break;
    }
    int running = 0;
    int waiting = 0;
    int stopped = 0;
    int succeeded = 0;
    for (ContainerStatus s : statuses) {
      var state = s.getState();
      if (state != null && state.getRunning() != null) {
        running++;
      } else if (state != null && state.getTerminated() != null) {
        stopped++;
        if (state.getTerminated().getExitCode() == 0) {
          succeeded++;
        }
      } else if (s.getLastState() != null && s.getLastState().getTerminated() != null) {
        stopped++;
        if (s.getLastState().getTerminated().getExitCode() == 0) {
          succeeded++;
        }
      } else {
        waiting++;
      }
    }
    if (terminating && running == 0) {
      return stopped == succeeded && waiting == 0 && initDone ? "Succeeded" : "Failed";
    }
    if (!initDone) {
      return "Pending";
    }
    if (waiting > 0) {
      return "Pending";
    }
    if (running > 0) {
      return "Running";
    }
    if (stopped > 0) {
      return switch (restartPolicy) {
        case "Never" -> stopped == succeeded ? "Succeeded" : "Failed";
        case "OnFailure" -> stopped == succeeded ? "Succeeded" : "Running";
        default -> "Running";
      };
    }
    return "Pending";
  }
}
