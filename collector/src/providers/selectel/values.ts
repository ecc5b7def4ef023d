/**
 * Coercion of loosely typed Selectel values (amounts as numbers or strings, Cinder's string booleans,
 * nulls anywhere): the connector-wide helpers, re-exported so the Selectel modules keep one import.
 */
export { asArray, asObject, bool, isObject, num, str, type Json } from '../values.js';
