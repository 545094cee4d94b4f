/// A generation-tagged reference to a record in a table whose slots are reused (a run's job
/// table): the slot, and the generation the slot had when the handle was made. A handle kept
/// after its record was replaced no longer matches the slot's generation, so the table can
/// refuse it instead of handing out the new occupant's data.
public struct JobHandle: Sendable, Hashable, BitwiseCopyable, CustomStringConvertible {
    public let slot: Int32
    public let generation: UInt32

    public init(slot: Int32, generation: UInt32) {
        self.slot = slot
        self.generation = generation
    }

    /// No job (a tombstone in a queue, or a placement that records nothing).
    public static let none = JobHandle(slot: -1, generation: 0)

    public var description: String { "job slot \(slot) generation \(generation)" }
}
