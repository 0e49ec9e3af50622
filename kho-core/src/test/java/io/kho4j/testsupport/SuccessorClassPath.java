package io.kho4j.testsupport;

import io.kho4j.spi.Restorer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A class path for a successor JVM on which {@link SampleSubsystem} is a {@link Restorer} service: this JVM's
 * class path plus a private directory holding the service file, so the provider leaks into no other test.
 */
public final class SuccessorClassPath {
    private SuccessorClassPath() {
    }

    /**
     * @param dir an empty directory for the service file
     * @return the class path
     * @throws IOException if the file cannot be written
     */
    public static String withSampleRestorer(Path dir) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(Restorer.class.getName()), SampleSubsystem.class.getName() + "\n");
        return System.getProperty("java.class.path") + File.pathSeparator + dir.toAbsolutePath();
    }
}
