/** Departments and the licence types they issue. Other folders import only this file. */
export { DepartmentService, type Department, type DepartmentServiceOptions, type NewDepartment } from './department-service.ts';
export { LicenceTypeService, type LicenceTypeServiceOptions } from './licence-type-service.ts';
