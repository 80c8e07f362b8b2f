/*
 * Holdfast control-plane protocol, one endpoint (see control-plane.md and architecture.md).
 *
 * Two variants of the same model:
 *   spin -a control-plane.pml             FENCED: the protocol Holdfast runs
 *   spin -DLEGACY -a control-plane.pml    LEGACY: the protocol of the October 2025 incident
 *
 * Actors: one planner (which may crash and restart), NE enactors running independently, and an operator
 * who may freeze and unfreeze the endpoint. Plans 1..MAXG; cleanup keeps the last K good plans.
 *
 *   step               FENCED (Holdfast)                              LEGACY (incident)
 *   apply              one atomic conditional write: plan exists,     freshness checked once when the plan is
 *                      gen > applied gen, not frozen                  read; later the write is unconditional
 *   cleanup            deletes only plans strictly older than the     deletes plans much older (AGE) than the
 *                      applied gen, beyond the last K good ones       enactor's own plan, removing their records
 *                                                                     from the live state if one is live
 *
 * Checked (asserts, plus the LTL claim over the same state):
 *   I1 never empty:     once applied, the endpoint has records
 *   I2 monotonic:       the applied generation never decreases
 *   I3 live survives:   the applied plan is never deleted
 * Keep in step with Holdfast.ControlPlane (Enactor, CleanupPolicy, InMemoryControlStore.ConditionalApplyAsync)
 * and Holdfast.Simulation.Legacy (LegacyEnactor, LegacyControlStore).
 */

#define MAXG 4      /* plans the planner writes */
#define NE 3        /* enactors */
#define K 1         /* good plans kept below the applied one */
#define AGE 2       /* legacy: "much older" = at least AGE generations below the enactor's own plan */

byte latest = 0;              /* newest plan generation written (the store's durable counter) */
bool exists[MAXG + 1];        /* plan g is stored */
bool wasApplied[MAXG + 1];    /* plan g was live at least once (a "good" plan) */
byte applied = 0;             /* applied generation, 0 = never applied */
bool live = false;            /* the endpoint has records in the live state */
bool frozen = false;
bool decreased = false;       /* ghost: an apply lowered the applied generation */

/* -DONLY_EMPTY checks I1 alone, so that the legacy counterexample shown is the empty answer itself. */
#ifdef ONLY_EMPTY
ltl safe { [] (applied == 0 || live) }
#else
ltl safe { [] ((applied == 0 || (live && exists[applied])) && !decreased) }
#endif

inline checkInvariants() {
    assert(applied == 0 || live);            /* I1 */
#ifndef ONLY_EMPTY
    assert(!decreased);                      /* I2 */
    assert(applied == 0 || exists[applied])  /* I3 */
#else
    skip
#endif
}

/* FENCED cleanup: CleanupPolicy.Select — strictly older than applied, newest K good plans kept. */
inline fencedCleanup() {
    byte p; byte kept;
    atomic {
        p = applied; kept = 0;
        do
        :: p > 1 ->
            p--;
            if
            :: exists[p] && wasApplied[p] && kept < K -> kept++
            :: exists[p] && !(wasApplied[p] && kept < K) -> exists[p] = false
            :: !exists[p] -> skip
            fi
        :: else -> break
        od;
        checkInvariants()
    }
}

/* LEGACY cleanup: by age relative to the enactor's own plan; deleting the live plan removes its records. */
inline legacyCleanup(own) {
    byte p;
    atomic {
        p = 1;
        do
        :: p + AGE <= own ->
            if
            :: exists[p] ->
                exists[p] = false;
                if
                :: p == applied -> live = false
                :: else -> skip
                fi
            :: else -> skip
            fi;
            p++
        :: else -> break
        od;
        checkInvariants()
    }
}

proctype Planner() {
    byte restarts = 0;
    do
    :: latest < MAXG -> atomic { latest++; exists[latest] = true }
    /* A crash and restart: the planner forgets everything in memory; the generation counter is durable
       in the store, so a restarted planner continues above every generation ever handed out. */
    :: latest < MAXG && restarts < 1 -> restarts++
    :: latest == MAXG -> break
    od
}

proctype Enactor(byte id) {
    byte g;
end:
    do
#ifdef LEGACY
    /* Read the latest plan and check it is newer than the applied one, once. The apply comes later,
       after any delay (the interleaving stands for the badly delayed enactor), and does not look again. */
    :: atomic { latest > applied && exists[latest] && !frozen -> g = latest }
        atomic {
            if
            :: g < applied -> decreased = true
            :: else -> skip
            fi;
            applied = g; wasApplied[g] = true; live = true;
            checkInvariants()
        };
        legacyCleanup(g)
#else
    /* Level-triggered: read the newest plan; the store's conditional apply decides, atomically. */
    :: atomic { latest > applied -> g = latest }
        atomic {
            if
            :: exists[g] && g > applied && !frozen ->
                applied = g; wasApplied[g] = true; live = true
            :: else -> skip   /* Stale / Frozen / Rejected: nothing changes */
            fi;
            checkInvariants()
        };
        fencedCleanup()
#endif
    od
}

proctype Operator() {
    byte toggles = 0;
    do
    :: toggles < 2 -> atomic { frozen = !frozen; toggles++ }
    :: toggles < 2 && frozen -> atomic { frozen = false; toggles = 2 }
    :: toggles >= 2 -> atomic { frozen = false; break }
    od
}

init {
    atomic {
        run Planner();
        run Operator();
        byte i = 0;
        do
        :: i < NE -> run Enactor(i); i++
        :: else -> break
        od
    }
}
