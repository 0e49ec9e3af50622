/** Test kit for kho4j serializer authors (JUnit 5). */
module io.kho4j.testkit {
    requires transitive io.kho4j.core;
    requires transitive org.junit.jupiter.api;
    requires org.junit.jupiter.params;

    // SerializerContractTest, HostileBlobs, AbiPin, AbiLockCheck: the kit serializer authors use.
    exports io.kho4j.testkit;
}
