/// One integer for an (application, model) pair: the data set its jobs read, the model file its
/// services pull, the service its replicas form, the versions the registry counts.
public enum ApplicationModelKey {
    public static func of(application: Int16, model: Int16) -> Int32 {
        Int32(application) << 16 | Int32(UInt16(bitPattern: model))
    }
}
