package dev.skiff.cli.service;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A systemd service unit that runs {@code skiff server} or {@code skiff agent} as k3s's installer
 * writes them: a simple service restarted always, whose containers outlive restarts of skiff itself
 * ({@code KillMode=process}) in cgroups it manages ({@code Delegate=yes}).
 */
public final class SystemdUnit {
  private SystemdUnit() {}

  /**
   * @param role {@code server} or {@code agent}
   * @param command the full command line, absolute program path first
   */
  public static String render(String role, List<String> command) {
    String description = role.equals("server") ? "Skiff server" : "Skiff agent";
    return """
        [Unit]
        Description=%s
        Documentation=https://kubernetes.io/docs/
        Wants=network-online.target
        After=network-online.target

        [Install]
        WantedBy=multi-user.target

        [Service]
        Type=simple
        EnvironmentFile=-/etc/default/%%N
        EnvironmentFile=-/etc/sysconfig/%%N
        KillMode=process
        Delegate=yes
        LimitNOFILE=1048576
        LimitNPROC=infinity
        LimitCORE=infinity
        TasksMax=infinity
        TimeoutStartSec=0
        Restart=always
        RestartSec=5s
        ExecStartPre=-/sbin/modprobe br_netfilter
        ExecStartPre=-/sbin/modprobe overlay
        ExecStart=%s
        """
        .formatted(
            description,
            command.stream().map(SystemdUnit::quote).collect(Collectors.joining(" \\\n    ")));
  }

  /**
   * One word of ExecStart: quoted when it holds blanks, quotes or backslashes, with {@code %} and
   * {@code $} doubled so systemd passes them through instead of expanding them.
   */
  static String quote(String word) {
    String escaped = word.replace("%", "%%").replace("$", "$$");
    if (!escaped.isEmpty() && escaped.chars().noneMatch(SystemdUnit::special)) {
      return escaped;
    }
    return "\"" + escaped.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static boolean special(int c) {
    return c <= ' ' || c == '"' || c == '\\' || c == '\'' || c == ';';
  }
}
