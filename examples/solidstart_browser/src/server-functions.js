// What SolidStart 2.0's compiler leaves of `"use server"` functions in a client
// bundle: `cloneServerReference("<id>")` from the published client runtime.  The
// functions themselves are Python (../app.py), registered under these ids.
import { cloneServerReference } from "@solidjs/start/fns/client";

export const getThing = cloneServerReference("5e6f7a8b-0");
export const countTo = cloneServerReference("5e6f7a8b-1");
export const failWith = cloneServerReference("5e6f7a8b-2");
