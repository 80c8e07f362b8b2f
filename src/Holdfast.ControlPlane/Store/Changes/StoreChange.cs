using System.Text.Json.Serialization;

namespace Holdfast.ControlPlane.Store.Changes;

/// <summary>
/// One entry of the store's ordered change feed (<see cref="IControlStore.ReadChangesAsync"/>). Every write transaction
/// that changes state takes the next store revision; all changes it makes carry that revision. A reader resumes after
/// the last revision it processed and never sees a revision split across pages. Changes carry what a follower needs to
/// mirror the served data exactly (an apply carries its records), so that two followers that processed the same revisions
/// serve the same data under the same serial.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(PlanWrittenChange), "plan.written")]
[JsonDerivedType(typeof(PlanRejectedChange), "plan.rejected")]
[JsonDerivedType(typeof(AppliedChange), "applied")]
[JsonDerivedType(typeof(EndpointPutChange), "endpoint.put")]
[JsonDerivedType(typeof(EndpointDeletedChange), "endpoint.deleted")]
[JsonDerivedType(typeof(ZonePutChange), "zone.put")]
[JsonDerivedType(typeof(ZoneDeletedChange), "zone.deleted")]
[JsonDerivedType(typeof(StaticZoneChange), "zone.static")]
[JsonDerivedType(typeof(FreezeChange), "freeze")]
[JsonDerivedType(typeof(SelfPreservationReleasedChange), "self-preservation.released")]
public abstract record StoreChange(long Revision);
