package dev.zkspark.cli;

/** One line describing the machine, printed above every benchmark table. */
final class MachineInfo {
    private MachineInfo() {}

    static String describe() {
        Runtime rt = Runtime.getRuntime();
        return rt.availableProcessors() + " cores, " + (rt.maxMemory() >> 20) + " MiB max heap, Java "
                + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                + System.getProperty("os.arch");
    }
}
