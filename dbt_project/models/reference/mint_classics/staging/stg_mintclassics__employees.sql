with source as (
    select * from {{ source('mintclassics', 'employees') }}
),

final as (
    select
        employeeNumber as employee_number,
        {{ clean_text('firstName') }} as first_name,
        {{ clean_text('lastName') }} as last_name,
        {{ clean_text('email', 'lower') }} as email,
        {{ clean_text('officeCode') }} as office_code,
        reportsTo as reports_to,
        {{ clean_text('jobTitle') }} as job_title,
        _loaded_at as loaded_at
    from source
)

select * from final
