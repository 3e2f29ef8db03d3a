package dev.skiff.runtime.oci;

import java.util.List;

/** The defaults upstream's runtimes (containerd, CRI-O) give every unprivileged container. */
public final class OciDefaults {
  private OciDefaults() {}

  public static final List<String> CAPABILITIES =
      List.of(
          "CAP_CHOWN",
          "CAP_DAC_OVERRIDE",
          "CAP_FSETID",
          "CAP_FOWNER",
          "CAP_MKNOD",
          "CAP_NET_RAW",
          "CAP_SETGID",
          "CAP_SETUID",
          "CAP_SETFCAP",
          "CAP_SETPCAP",
          "CAP_NET_BIND_SERVICE",
          "CAP_SYS_CHROOT",
          "CAP_KILL",
          "CAP_AUDIT_WRITE");

  /** Every capability, for privileged containers and {@code add: [ALL]}. */
  public static final List<String> ALL_CAPABILITIES =
      List.of(
          "CAP_CHOWN",
          "CAP_DAC_OVERRIDE",
          "CAP_DAC_READ_SEARCH",
          "CAP_FOWNER",
          "CAP_FSETID",
          "CAP_KILL",
          "CAP_SETGID",
          "CAP_SETUID",
          "CAP_SETPCAP",
          "CAP_LINUX_IMMUTABLE",
          "CAP_NET_BIND_SERVICE",
          "CAP_NET_BROADCAST",
          "CAP_NET_ADMIN",
          "CAP_NET_RAW",
          "CAP_IPC_LOCK",
          "CAP_IPC_OWNER",
          "CAP_SYS_MODULE",
          "CAP_SYS_RAWIO",
          "CAP_SYS_CHROOT",
          "CAP_SYS_PTRACE",
          "CAP_SYS_PACCT",
          "CAP_SYS_ADMIN",
          "CAP_SYS_BOOT",
          "CAP_SYS_NICE",
          "CAP_SYS_RESOURCE",
          "CAP_SYS_TIME",
          "CAP_SYS_TTY_CONFIG",
          "CAP_MKNOD",
          "CAP_LEASE",
          "CAP_AUDIT_WRITE",
          "CAP_AUDIT_CONTROL",
          "CAP_SETFCAP",
          "CAP_MAC_OVERRIDE",
          "CAP_MAC_ADMIN",
          "CAP_SYSLOG",
          "CAP_WAKE_ALARM",
          "CAP_BLOCK_SUSPEND",
          "CAP_AUDIT_READ",
          "CAP_PERFMON",
          "CAP_BPF",
          "CAP_CHECKPOINT_RESTORE");

  public static final List<String> MASKED_PATHS =
      List.of(
          "/proc/acpi",
          "/proc/asound",
          "/proc/kcore",
          "/proc/keys",
          "/proc/latency_stats",
          "/proc/timer_list",
          "/proc/timer_stats",
          "/proc/sched_debug",
          "/proc/scsi",
          "/sys/firmware",
          "/sys/devices/virtual/powercap");

  public static final List<String> READONLY_PATHS =
      List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

  public static final String PATH =
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /**
   * Syscalls the RuntimeDefault profile refuses with EPERM: those that change the kernel, the
   * clock, other processes' memory, or namespaces and mounts, as Docker's default profile does.
   * (Ours lists what is denied rather than what is allowed, so newer syscalls still work.)
   */
  public static final List<String> SECCOMP_DENIED =
      List.of(
          "acct",
          "add_key",
          "bpf",
          "clock_adjtime",
          "clock_settime",
          "create_module",
          "delete_module",
          "finit_module",
          "get_kernel_syms",
          "get_mempolicy",
          "init_module",
          "ioperm",
          "iopl",
          "kcmp",
          "kexec_file_load",
          "kexec_load",
          "keyctl",
          "lookup_dcookie",
          "mbind",
          "mount",
          "mount_setattr",
          "move_mount",
          "move_pages",
          "name_to_handle_at",
          "nfsservctl",
          "open_by_handle_at",
          "open_tree",
          "perf_event_open",
          "pivot_root",
          "process_vm_readv",
          "process_vm_writev",
          "ptrace",
          "query_module",
          "quotactl",
          "reboot",
          "request_key",
          "set_mempolicy",
          "setns",
          "settimeofday",
          "stime",
          "swapon",
          "swapoff",
          "sysfs",
          "_sysctl",
          "umount",
          "umount2",
          "unshare",
          "uselib",
          "userfaultfd",
          "ustat",
          "vm86",
          "vm86old",
          "fsconfig",
          "fsmount",
          "fsopen",
          "fspick");
}
